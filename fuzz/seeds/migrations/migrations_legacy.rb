class CreateAccounts < ActiveRecord::Migration[4.2]
  def self.up
    create_table :accounts do |t|
      t.string :name, :null => false
      t.string :plan, :default => "free"
      t.boolean :active, :default => true, :null => false
      t.timestamps
    end
    add_index :accounts, :name, :unique => true
  end

  def self.down
    drop_table :accounts
  end
end

#--- next migration
class CreateInvoices < ActiveRecord::Migration[4.2]
  def self.up
    create_table :invoices do |t|
      t.references :account
      t.belongs_to :customer, :index => true
      t.references :billable, :polymorphic => true
      t.integer :amount_cents, :null => false, :default => 0
      t.string :currency, :limit => 3
      t.date :due_on
      t.timestamps :null => false
    end
  end

  def self.down
    drop_table :invoices
  end
end

#--- next migration
class CreateLineItems < ActiveRecord::Migration[4.2]
  def up
    create_table :line_items do |t|
      t.references :invoice, null: false
      t.string :sku
      t.integer :quantity, default: 1
      t.decimal :unit_price, precision: 10, scale: 2
    end
    execute "CREATE INDEX index_line_items_on_sku ON line_items (sku)"
    add_reference :line_items, :product
    add_reference :line_items, :warehouse, index: true
    add_timestamps :line_items
  end

  def down
    drop_table :line_items
  end
end

#--- next migration
class ReworkInvoices < ActiveRecord::Migration[4.2]
  def change
    reversible do |dir|
      dir.up do
        add_column :invoices, :paid_at, :datetime
        add_index :invoices, :paid_at
        remove_index :invoices, :customer_id
      end
      dir.down do
        remove_column :invoices, :paid_at
        add_index :invoices, :customer_id
      end
    end
    rename_column :invoices, :due_on, :due_date
    add_index :invoices, [:billable_type, :billable_id]
  end
end

#--- next migration
class RenameAccountsToOrganizations < ActiveRecord::Migration[4.2]
  def self.up
    rename_table :accounts, :organizations
    rename_column :invoices, :account_id, :organization_id
    add_index :invoices, :organization_id
    rename_column :invoices, :paid_at, :settled_at
  end

  def self.down
    rename_column :invoices, :settled_at, :paid_at
    remove_index :invoices, :organization_id
    rename_column :invoices, :organization_id, :account_id
    rename_table :organizations, :accounts
  end
end
