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
