class IndexUsersOnAccount < ActiveRecord::Migration[5.2]
  def change
    add_index :users, :account_id
    remove_index :users, :role
  end
end
