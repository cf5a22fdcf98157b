class Attachment < ApplicationRecord
  belongs_to :record, polymorphic: true, foreign_key: :record_ref, foreign_type: :record_kind
end
