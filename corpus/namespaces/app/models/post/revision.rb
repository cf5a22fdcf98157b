class Post::Revision < ApplicationRecord
  belongs_to :post
  belongs_to :editor, class_name: "Person", foreign_key: :editor_code, primary_key: :person_code
end
