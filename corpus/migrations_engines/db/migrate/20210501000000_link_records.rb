class LinkRecords < ActiveRecord::Migration[6.1]
  def change
    add_foreign_key :billing_payments, :billing_invoices, column: :invoice_id
    add_reference :blog_comments, :editor, foreign_key: { to_table: :users }

    create_table :account_notes do |t|
      t.references :account, null: false, foreign_key: true
      t.text :body
    end
    rename_table :account_notes, :notes
  end
end
