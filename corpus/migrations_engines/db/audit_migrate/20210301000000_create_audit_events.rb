class CreateAuditEvents < ActiveRecord::Migration[6.1]
  def change
    create_table :audit_events do |t|
      t.bigint :account_id, null: false
      t.string :kind, null: false
      t.string :request_id
      t.timestamps
    end
    add_index :audit_events, [:account_id, :created_at]
  end
end
