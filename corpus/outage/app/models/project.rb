class Project < ApplicationRecord
  include Commentable

  belongs_to :account
  belongs_to :owner, class_name: "User"

  has_many :memberships, dependent: :destroy
  has_many :members, through: :memberships, source: :user
  has_many :tasks, -> { order(:position) }, dependent: :destroy

  scope :active, -> { where(archived_at: nil) }

  validates :name, presence: true
end
