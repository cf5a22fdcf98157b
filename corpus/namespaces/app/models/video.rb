class Video < Content
  has_many :captions, dependent: :destroy
end
