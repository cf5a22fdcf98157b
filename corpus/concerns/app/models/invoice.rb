class Invoice < ApplicationRecord
  include Billing::Payable
end
