class Subscription < ApplicationRecord
  belongs_to :user
  belongs_to :post, optional: true
  belongs_to :project, optional: true
end
