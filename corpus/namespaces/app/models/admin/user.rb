class Admin::User < ApplicationRecord
  # Resolves to Admin::Post (admin_posts): relative class names are looked up
  # from the innermost namespace outwards.
  has_many :posts, dependent: :destroy
  # The leading "::" skips the namespace lookup: this is the public ::Post.
  has_many :moderated_posts, class_name: "::Post", foreign_key: :moderator_id, dependent: :nullify
  has_many :audit_logs, dependent: :delete_all
  has_one :setting, dependent: :destroy

  validates :login, uniqueness: true
end
