class Post < ApplicationRecord
  belongs_to :moderator, class_name: "Admin::User", optional: true
  # Post::Revision, nested in this model class: table "post_revisions".
  has_many :revisions, dependent: :delete_all
end
