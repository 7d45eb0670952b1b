import StorefrontIcon from '@material-ui/icons/Storefront';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import ReceiptIcon from '@material-ui/icons/Receipt';
import { RequireReportPermission } from '@microapps/plugin-marketplace';
