class Person < ApplicationRecord
  self.table_name = "legacy_people"
  self.primary_key = "person_code"

  has_many :invoices, class_name: "Billing::Invoice", foreign_key: :customer_id
  has_many :articles, foreign_key: :author_id
  has_many :revisions, class_name: "Post::Revision", foreign_key: :editor_code
  has_many :vehicles, foreign_key: :owner_code
end
