class Product < ApplicationRecord
  belongs_to :supplier
  has_many :pictures, as: :imageable, dependent: :destroy
  has_many :attachments, as: :record, foreign_type: :record_kind, foreign_key: :record_ref, dependent: :destroy
  has_many :taggings, as: :taggable, dependent: :delete_all
  has_many :reviews, dependent: :destroy
  has_and_belongs_to_many :categories
end
