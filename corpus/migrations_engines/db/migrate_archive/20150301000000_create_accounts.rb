class CreateAccounts < ActiveRecord::Migration[4.2]
  def change
    create_table :accounts do |t|
      t.string :name, null: false
      t.string :subdomain
      t.timestamps null: false
    end
    add_index :accounts, :subdomain, unique: true
  end
end
