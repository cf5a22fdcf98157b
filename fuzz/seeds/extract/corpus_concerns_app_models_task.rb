class Task < ApplicationRecord
  include Trackable

  belongs_to :project
  belongs_to :assignee, class_name: "User", optional: true
end
