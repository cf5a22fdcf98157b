class Post < ApplicationRecord
  include Commentable
  include Subscribable
  include Publishable

  belongs_to :author, class_name: "User"
end
