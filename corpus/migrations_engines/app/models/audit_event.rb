class AuditEvent < AuditRecord
  validates :request_id, uniqueness: true, allow_nil: true

  scope :for_account, ->(account_id) { where(account_id: account_id) }
  scope :of_kind, ->(kind) { where(kind: kind) }
end
