class AccountsController < ApplicationController
  def show
    @account = current_account
    @users = current_account.users.order(:email)
    @api_tokens = current_account.api_tokens
  end

  def destroy
    current_account.destroy
    reset_session
    redirect_to "https://tally.example/goodbye", allow_other_host: true
  end
end
