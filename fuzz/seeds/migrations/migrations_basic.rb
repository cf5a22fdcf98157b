class CreateUsers < ActiveRecord::Migration[6.1]
  def change
    create_table :users do |t|
      t.string :email, null: false
      t.string :nickname
      t.integer :login_count, null: false, default: 0
      t.boolean :admin, default: false
      t.datetime :last_seen_at
      t.text :bio
      t.timestamps
    end
    add_index :users, :email, unique: true
  end
end

#--- next migration
class CreatePosts < ActiveRecord::Migration[6.1]
  def change
    create_table :posts do |t|
      t.references :user, null: false
      t.string :title, null: false
      t.string :slug
      t.text :body
      t.boolean :published, null: false, default: false
      t.integer :position
      t.datetime :published_at
      t.timestamps
      t.index [:user_id, :slug], unique: true
    end
  end
end

#--- next migration
class CreateComments < ActiveRecord::Migration[6.1]
  def change
    create_table :comments do |t|
      t.belongs_to :post, index: false
      t.references :commentable, polymorphic: true
      t.references :user
      t.text :content, null: false
      t.string :status, default: "pending"
      t.timestamps
    end
  end
end

#--- next migration
class TweakPostsAndComments < ActiveRecord::Migration[6.1]
  def change
    add_column :posts, :views_count, :integer, null: false, default: 0
    add_index :posts, :published_at, name: "posts_by_publication"
    add_index :posts, :title
    remove_column :posts, :position, :integer
    rename_column :posts, :body, :content
    add_reference :comments, :editor, foreign_key: false
    remove_index :posts, :title
    remove_index :users, name: "index_users_on_email"
    add_index :users, [:email, :nickname], unique: true
  end
end

#--- next migration
class ReshapeComments < ActiveRecord::Migration[6.1]
  def change
    change_table :comments do |t|
      t.remove :status, type: :string, default: "pending"
      t.rename :content, :message
      t.index :post_id
      t.index [:user_id, :created_at], name: "comments_user_recent"
      t.index :created_at, name: "index_comments_on_created"
      t.string :locale, limit: 5, default: "en"
    end
    rename_table :comments, :remarks
  end
end

#--- next migration
class CreateTags < ActiveRecord::Migration[6.1]
  def change
    create_table :tags do |t|
      t.string :name, null: false
    end
    add_index :tags, :name, unique: true, name: "tags_name_unique"
    create_join_table :posts, :tags do |t|
      t.index [:post_id, :tag_id], unique: true
      t.index :tag_id
    end
    add_timestamps :tags, null: true
  end
end

#--- next migration
class DropDrafts < ActiveRecord::Migration[6.1]
  def up
    create_table :drafts do |t|
      t.references :user
      t.text :body
    end
    drop_table :drafts
    remove_index :posts, name: "posts_by_publication"
  end

  def down
    add_index :posts, :published_at, name: "posts_by_publication"
  end
end

#--- next migration
# Idempotent migrations guard their statements with the state they create.
class AddGuardedTagColumns < ActiveRecord::Migration[6.1]
  def up
    add_column :tags, :color, :string unless column_exists?(:tags, :color)
    unless index_exists?(:tags, :color)
      add_index :tags, :color
    end
  end

  def down
    remove_column :tags, :color
  end
end
