class Order < ApplicationRecord
  include Billing::Payable
  include Commentable

  belongs_to :user
end
