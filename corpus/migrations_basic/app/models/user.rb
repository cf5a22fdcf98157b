class User < ApplicationRecord
  has_many :posts, dependent: :destroy
  has_many :remarks, dependent: :nullify
  # remarks.editor_id, added by `add_reference :comments, :editor` before the rename.
  has_many :edited_remarks, class_name: "Remark", foreign_key: :editor_id, inverse_of: :editor
  has_many :commented_posts, -> { distinct }, through: :remarks, source: :post

  # [email, nickname] is unique: email leads it, nickname does not.
  validates :email, uniqueness: true
  validates :nickname, uniqueness: true, allow_nil: true

  scope :admins, -> { where(admin: true) }
  scope :with_email, ->(email) { where(email: email) }
end
