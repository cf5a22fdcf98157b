class CreateBillingInvoices < ActiveRecord::Migration[5.0]
  def change
    create_table :billing_invoices do |t|
      t.references :account, foreign_key: true
      t.string :number, null: false
      t.integer :total_cents, default: 0, null: false
      t.timestamps
    end
  end
end
