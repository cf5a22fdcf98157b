class CreateCatalog < ActiveRecord::Migration[5.0]
  def change
    create_table :countries, id: false, primary_key: :code do |t|
      t.string :code, null: false, limit: 2
      t.string :name, null: false
    end
    add_index :countries, :code, unique: true

    create_table :currencies, primary_key: :iso_code, id: :string do |t|
      t.string :symbol
      t.integer :minor_units, default: 2
    end

    create_table :vendors do |t|
      t.references :owner
      t.references :sourceable, polymorphic: true
      t.string :country_code, limit: 2
      t.timestamps
    end
  end
end

#--- next migration
class CreateProducts < ActiveRecord::Migration[5.2]
  def change
    create_table :products do |t|
      t.references :vendor, foreign_key: false
      t.references :imageable, polymorphic: true, index: { name: "products_imageable" }
      t.string :currency_code, null: false
      t.string :name
      t.timestamps
    end
    add_reference :vendors, :parent

    create_table :product_settings, id: false do |t|
      t.belongs_to :product, null: false
      t.string :key, null: false
      t.text :value
      t.index [:product_id, :key], unique: true
    end
  end
end

#--- next migration
class CreateOrders < ActiveRecord::Migration[6.1]
  def change
    create_table :regions, primary_key: :code, id: :string do |t|
      t.string :label
    end

    create_table :orders do |t|
      t.references :product
      t.references :shippable, polymorphic: true
      t.references :region, type: :string, index: false
      t.string :number, null: false
      t.timestamps
    end
    add_index :orders, :number, unique: true
    add_reference :products, :category
    add_timestamps :regions
  end
end
