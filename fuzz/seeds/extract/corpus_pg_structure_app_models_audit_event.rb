class AuditEvent < ApplicationRecord
  self.table_name = "audit.events"

  belongs_to :user, optional: true
end
