class AccountHistory < ApplicationRecord
  belongs_to :account
end
