class Article < Content
  has_many :sections, dependent: :destroy
end
