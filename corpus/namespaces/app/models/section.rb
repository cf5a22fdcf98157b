class Section < ApplicationRecord
  belongs_to :article
end
