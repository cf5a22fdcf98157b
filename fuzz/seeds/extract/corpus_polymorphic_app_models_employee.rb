class Employee < ApplicationRecord
  has_many :pictures, as: :imageable, dependent: :destroy
  has_many :notes, as: :notable
  has_many :taggings, as: :taggable
  has_many :tags, through: :taggings
  has_and_belongs_to_many :mentors,
                          class_name: "Employee",
                          join_table: "mentorships",
                          foreign_key: :mentee_id,
                          association_foreign_key: :mentor_id
  has_and_belongs_to_many :skills, join_table: :employee_skill_links
end
