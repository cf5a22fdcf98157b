class Skill < ApplicationRecord
  has_and_belongs_to_many :employees, join_table: :employee_skill_links
end
