class ApplicationController < ActionController::Base
  before_action :authenticate!

  helper_method :current_account, :current_user

  private

  def current_account
    @current_account ||= Account.find_by!(subdomain: request.subdomain)
  end

  def current_user
    @current_user ||= current_account.users.find_by(id: session[:user_id])
  end

  def authenticate!
    redirect_to "/login" unless current_user
  end
end
