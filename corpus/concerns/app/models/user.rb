class User < ApplicationRecord
  belongs_to :team, optional: true
  has_many :subscriptions, dependent: :delete_all
  has_many :assigned_tasks, class_name: "Task", foreign_key: :assignee_id, dependent: :nullify

  validates :email, uniqueness: true
end
