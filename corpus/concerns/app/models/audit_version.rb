class AuditVersion < ApplicationRecord
  belongs_to :item, polymorphic: true
end
