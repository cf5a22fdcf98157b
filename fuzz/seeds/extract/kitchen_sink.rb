module Billing
  class Invoice < ::ApplicationRecord
    self.table_name = "billing_invoices"
    self.primary_key = :uuid
    include Auditable, Billing::Trackable
    belongs_to :customer, class_name: "::Customer", foreign_key: :cust_id, optional: true
    has_many :lines, -> { where(void: false).order(:position) }, dependent: :destroy, inverse_of: :invoice
    has_many :payments, through: :lines, source: :payment
    has_one :latest, -> { order(created_at: :desc) }, class_name: "Payment"
    has_and_belongs_to_many :tags, join_table: "invoice_tags"
    belongs_to :billable, polymorphic: true
    with_options dependent: :nullify do |assoc|
      assoc.has_many :notes, as: :notable
      has_many :reminders
    end
    scope :open, -> { where(state: "open") }
    scope :for, ->(c) { where(customer_id: c.id) }
    validates :number, uniqueness: { scope: [:customer_id, :year], case_sensitive: false }
    validates_uniqueness_of :token
    send(:has_many, :ghosts)
    class_eval "has_many :strings"
    [:a, :b].each { |n| has_many n }
    DOC = <<~SQL
      has_many :heredoc
    SQL
    class << self
      def build; end
    end
    def total = lines.sum(&:amount)
    def x(
  end
end
__END__
has_many :after_end
