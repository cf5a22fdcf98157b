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
