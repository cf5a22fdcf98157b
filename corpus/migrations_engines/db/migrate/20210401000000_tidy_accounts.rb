class TidyAccounts < ActiveRecord::Migration[6.1]
  def up
    if index_exists?(:users, :email, unique: true)
      add_index :accounts, :name
    else
      add_index :accounts, [:name, :subdomain]
    end
    remove_column :users, :nickname if column_exists?(:users, :nickname)
    return unless table_exists?(:settings)

    add_index :settings, [:key, :value]
  end

  def down
    remove_index :settings, [:key, :value] if index_exists?(:settings, [:key, :value])
    remove_index :accounts, :name
  end
end
