module Admin
  class Post < ApplicationRecord
    belongs_to :user
  end
end
