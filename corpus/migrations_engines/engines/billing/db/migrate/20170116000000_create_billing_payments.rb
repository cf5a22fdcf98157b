class CreateBillingPayments < ActiveRecord::Migration[4.2]
  def change
    create_table :billing_payments do |t|
      t.references :invoice
      t.integer :amount_cents, null: false
      t.string :state
      t.timestamps null: false
    end
  end
end
