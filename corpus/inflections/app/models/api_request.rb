class APIRequest < ApplicationRecord
  belongs_to :api_key
end
