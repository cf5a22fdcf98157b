class Profile < ApplicationRecord
  belongs_to :user, touch: true

  validates :user_id, uniqueness: true
end
