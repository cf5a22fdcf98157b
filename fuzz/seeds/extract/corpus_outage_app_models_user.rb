class User < ApplicationRecord
  belongs_to :account

  has_many :memberships, dependent: :destroy
  has_many :projects, through: :memberships
  has_many :assigned_tasks, class_name: "Task", foreign_key: :assignee_id, dependent: :nullify
  has_many :comments, dependent: :destroy

  validates :email, presence: true, uniqueness: { scope: :account_id }

  before_validation { self.email = email.to_s.strip.downcase }

  def name_or_email
    name.presence || email
  end
end
