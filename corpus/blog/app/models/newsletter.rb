# Planned feature: the migration was never written, so there is no
# `newsletters` table yet.
class Newsletter < ApplicationRecord
  belongs_to :author, class_name: "User"
  has_many :subscribers, class_name: "User", foreign_key: :newsletter_id
end
