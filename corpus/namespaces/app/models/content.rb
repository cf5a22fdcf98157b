# Abstract intermediate class: Article and Video each have their own table.
class Content < ApplicationRecord
  self.abstract_class = true

  belongs_to :author, class_name: "Person"
  # Declared in the abstract class, so the derived foreign key is content_id.
  has_many :content_flags, dependent: :delete_all

  scope :visible, -> { where(hidden: false) }
end
