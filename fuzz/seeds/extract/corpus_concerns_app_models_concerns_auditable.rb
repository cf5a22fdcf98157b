module Auditable
  extend ActiveSupport::Concern

  included do
    has_many :versions, -> { order(:created_at) }, class_name: "AuditVersion", as: :item, dependent: :delete_all
  end
end
