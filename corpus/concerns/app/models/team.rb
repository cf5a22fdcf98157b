class Team < ApplicationRecord
  has_many :projects, dependent: :destroy

  with_options class_name: "User" do
    has_many :members
    has_many :admins, -> { where(admin: true) }
  end

  validates :slug, uniqueness: true
end
