class Person < ApplicationRecord
  belongs_to :human, optional: true
  has_many :octopi, foreign_key: :keeper_id
  has_many :data, dependent: :delete_all
  has_many :equipment_log, dependent: :delete_all
  has_many :api_keys, dependent: :destroy
  has_one :status, as: :subject
end
