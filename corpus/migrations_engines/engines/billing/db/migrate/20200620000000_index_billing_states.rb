class IndexBillingStates < ActiveRecord::Migration[6.0]
  def change
    say_with_time "indexing billing states" do
      %i[billing_payments billing_invoices].each do |table|
        add_column table, :state, :string unless column_exists?(table, :state)
        add_index table, :state
      end
    end
  end
end
