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
