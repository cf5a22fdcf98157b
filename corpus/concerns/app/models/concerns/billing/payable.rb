module Billing
  module Payable
    extend ActiveSupport::Concern

    included do
      has_many :payments, as: :payable, dependent: :restrict_with_exception
      belongs_to :billing_account, class_name: "Account", optional: true
    end

    class_methods do
      def unpaid
        where.not(id: Payment.where(payable_type: name).select(:payable_id))
      end
    end
  end
end
