class CreateUsers < ActiveRecord::Migration[4.2]
  def up
    create_table :users do |t|
      t.references :account
      t.string :email, null: false
      t.string :role
      t.timestamps null: false
    end
    add_index :users, :email, unique: true
    add_index :users, :role
  end

  def down
    drop_table :users
  end
end
