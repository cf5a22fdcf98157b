class Membership < ApplicationRecord
  belongs_to :project
  belongs_to :user

  enum role: { viewer: 0, editor: 1, admin: 2 }

  validates :user_id, uniqueness: { scope: :project_id }
end
