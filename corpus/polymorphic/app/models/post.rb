class Post < ApplicationRecord
  belongs_to :author
  has_many :comments, dependent: :destroy
  has_many :notes, as: :notable
  has_and_belongs_to_many :categories
end
