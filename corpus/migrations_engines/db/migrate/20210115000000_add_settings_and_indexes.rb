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
