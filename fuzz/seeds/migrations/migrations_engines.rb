class IndexUsersOnAccount < ActiveRecord::Migration[5.2]
  def change
    add_index :users, :account_id
    remove_index :users, :role
  end
end

#--- next migration
# This migration comes from blog (originally 20180101000000)
class CreateBlogPosts < ActiveRecord::Migration[5.2]
  def change
    create_table :blog_posts do |t|
      t.references :author
      t.string :title, null: false
      t.string :slug, null: false
      t.timestamps
    end
    add_index :blog_posts, :slug, unique: true
  end
end

#--- next migration
# This migration comes from blog (originally 20180301000000)
class CreateBlogComments < ActiveRecord::Migration[5.2]
  def change
    create_table :blog_comments do |t|
      t.references :post, null: false
      t.references :user, index: false
      t.text :body
      t.timestamps
    end
  end
end

#--- next migration
class AddSettingsAndIndexes < ActiveRecord::Migration[6.1]
  def up
    %w[accounts users].each do |name|
      change_table name do |t|
        if t.respond_to?(:jsonb)
          t.jsonb :preferences, null: false, default: {}
        else
          t.json :preferences, null: false, default: {}
        end
      end
    end

    begin
      add_index :billing_invoices, :number, unique: true
    rescue ActiveRecord::RecordNotUnique
      say "duplicate invoice numbers: fix them, then run this migration again"
      raise
    end

    transaction do
      add_column :blog_posts, :published_at, :datetime
      add_index :blog_posts, :published_at
    end
  end

  def down
    remove_index :blog_posts, :published_at
    remove_column :blog_posts, :published_at
    remove_index :billing_invoices, :number
    remove_column :users, :preferences
    remove_column :accounts, :preferences
  end
end

#--- next migration
class CreateSettings < ActiveRecord::Migration[6.1]
  def change
    return if table_exists?(:settings)

    create_table :settings do |t|
      t.string :key, null: false
      t.text :value
    end
    add_index :settings, :key, unique: true
  end
end

#--- next migration
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

#--- next migration
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

#--- next migration
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

#--- next migration
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
