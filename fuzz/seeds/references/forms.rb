class InvoicesController < ApplicationController
  before_action :set_invoice, only: %i[show edit]
  def index
    @invoices = Invoice.open.includes(:lines, payments: :refunds).where(customer: current_user.customer)
    @n = @invoice&.lines&.count
    @x = @invoice.public_send(:payments)
    @y = @invoice.send("#{kind}_lines")
    @z = Invoice.joins(:tags).merge(Tag.visible)
    render json: @invoice.as_json(include: { lines: { only: :id } })
    text = <<~MD
      #{@invoice.notes.map(&:body).join}
    MD
    ->(i) { i.reminders }.call(@invoice)
    @invoice.lines.each do |line|
      line.payment&.refunds
    end
    respond_to { |f| f.html { redirect_to invoice_lines_path(@invoice) } }
  end
  private def set_invoice = @invoice = Invoice.find(params[:id])
end
