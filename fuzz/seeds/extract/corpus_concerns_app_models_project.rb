class Project < ApplicationRecord
  include Commentable
  include Trackable
  include Subscribable

  belongs_to :team

  with_options dependent: :destroy do |assoc|
    assoc.has_many :tasks
    assoc.has_many :milestones
  end

  with_options class_name: "User" do
    belongs_to :owner
    belongs_to :reviewer, optional: true
  end
end
